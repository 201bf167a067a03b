import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { parseQueryBoolean } from "../schemas/common.ts";
import {
  NoContent,
  StoreDeleteItem,
  StoreErrorResponse,
  StoreGetItem,
  StoreItem,
  StoreListNamespaces,
  StoreNamespacesResponse,
  StorePutItem,
  StoreSearchItems,
  StoreSearchResponse,
} from "../schemas/store.ts";
import type { RouteOptions } from "../services.ts";

// 403: a put or delete that custom auth's filters do not allow (issue 13).
const errors = { 400: StoreErrorResponse, 403: StoreErrorResponse, 404: StoreErrorResponse, 422: StoreErrorResponse };

/** The store (spec §3.9): items by namespace and key, search, namespace listing. */
export const storeRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.put("/store/items", { schema: { body: StorePutItem, response: { 204: NoContent, ...errors } } }, async (request, reply) => {
    const { namespace, key, value, index, ttl } = request.body;
    await services.store.put({ namespace, key, value, index, ttl }, request.caller);
    return reply.status(204).send(null);
  });

  app.get(
    "/store/items",
    { schema: { querystring: StoreGetItem, response: { 200: Type.Union([StoreItem, Type.Null()]), ...errors } } },
    async (request, reply) => {
      const { namespace, key, refresh_ttl } = request.query;
      const refreshTtl = refresh_ttl === undefined ? undefined : parseQueryBoolean(refresh_ttl);
      const item = await services.store.get(namespace ? namespace.split(".") : [], key, { refreshTtl }, request.caller);
      // A missing item is 200 `null`, as the reference server answers (the SDK returns null).
      return reply.send(item);
    },
  );

  app.delete("/store/items", { schema: { body: StoreDeleteItem, response: { 204: NoContent, ...errors } } }, async (request, reply) => {
    await services.store.delete(request.body.namespace ?? [], request.body.key, request.caller);
    return reply.status(204).send(null);
  });

  app.post("/store/items/search", { schema: { body: StoreSearchItems, response: { 200: StoreSearchResponse, ...errors } } }, async (request) => {
    const { namespace_prefix, filter, limit = 10, offset = 0, query, refresh_ttl } = request.body;
    return services.store.search({
      namespacePrefix: namespace_prefix,
      filter: filter ?? undefined,
      limit,
      offset,
      query: query ?? undefined,
      refreshTtl: refresh_ttl ?? undefined,
    }, request.caller);
  });

  app.post("/store/namespaces", { schema: { body: StoreListNamespaces, response: { 200: StoreNamespacesResponse, ...errors } } }, async (request) => {
    const { prefix, suffix, max_depth, limit = 100, offset = 0 } = request.body;
    return services.store.listNamespaces({ prefix: prefix ?? undefined, suffix: suffix ?? undefined, maxDepth: max_depth ?? undefined, limit, offset }, request.caller);
  });
};
