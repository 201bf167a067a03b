// A search tool that answers weather questions from canned data, so the example runs offline.
import { tool } from "@langchain/core/tools";
import { z } from "zod";

const WEATHER: Record<string, string> = {
  sf: "It's 60 degrees and foggy in San Francisco.",
  "san francisco": "It's 60 degrees and foggy in San Francisco.",
  nyc: "It's 90 degrees and sunny in New York.",
  "new york": "It's 90 degrees and sunny in New York.",
  london: "It's 55 degrees and drizzling in London.",
};

export function cannedWeather(query: string): string {
  const text = query.toLowerCase();
  const city = Object.keys(WEATHER).find((name) => new RegExp(`\\b${name}\\b`).test(text));
  return city ? WEATHER[city]! : `No weather data for "${query}"; it's 70 degrees and clear.`;
}

export const search = tool(async ({ query }: { query: string }) => cannedWeather(query), {
  name: "search",
  description: "Search the web for current conditions, e.g. the weather in a city.",
  schema: z.object({ query: z.string().describe("what to search for") }),
});
