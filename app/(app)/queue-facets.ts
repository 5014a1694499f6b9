import "server-only";
import { cache } from "react";
import { getDb } from "@/db/client";
import { queueFacets } from "@/db/queries/queue";
import type { Scope } from "@/db/scope";

/** The queue's workspaces and counts, read once per request however many of the layout and page ask. */
export const queueFacetsForRequest = cache((scope: Scope) => queueFacets(getDb(), scope));
