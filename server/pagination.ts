/** X-Pagination-Total, and X-Pagination-Next when the page is full (spec §3.3). */
export function paginationHeaders({ total, limit, offset, count }: { total: number; limit: number; offset: number; count: number }) {
  return {
    "x-pagination-total": String(total),
    ...(count === limit && offset + limit < total ? { "x-pagination-next": String(offset + limit) } : {}),
  };
}
