// An AbortController that also aborts when any of its sources does: AbortSignal.any without its
// cost in Node 20, where every signal it makes is remembered by each source for the source's
// life (a long-lived source, such as the server's closing signal, gathers one per request), and
// stays in memory while it has listeners and no source has aborted.

export interface LinkedAbort {
  controller: AbortController;
  /** Stops following the sources; call it once the signal is no longer used. */
  release(): void;
}

export function linkedAbort(sources: AbortSignal[]): LinkedAbort {
  const controller = new AbortController();
  const followed: Array<[AbortSignal, () => void]> = [];
  for (const source of sources) {
    if (source.aborted) {
      controller.abort(source.reason);
      break;
    }
    const onAbort = () => controller.abort(source.reason);
    source.addEventListener("abort", onAbort, { once: true });
    followed.push([source, onAbort]);
  }
  return {
    controller,
    release: () => {
      for (const [source, onAbort] of followed) source.removeEventListener("abort", onAbort);
    },
  };
}
