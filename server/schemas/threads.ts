import { Type } from "typebox";
import { JsonObject, Uuid } from "./common.ts";

export const ThreadCreate = Type.Object({
  thread_id: Type.Optional(Uuid),
  metadata: Type.Optional(JsonObject),
  if_exists: Type.Optional(Type.Union([Type.Literal("raise"), Type.Literal("do_nothing")])),
});
