// Types of scripts/build.mjs (plain JavaScript: setup and bin/chithi.js run it without tsx).
import type { Bilingual } from '../common/cli-spec.js';

export const ROOT: string;
export const DIST: string;
export const DIST_CLI: string;
export type BuildState = { fresh: true } | { fresh: false; why: 'missing' | 'incomplete' | 'stale'; reason: Bilingual };
export function scanSources(root?: string, folders?: string[]): { newest: number; count: number };
export function buildState(root?: string): BuildState;
export function build(options?: { incremental?: boolean }): Promise<void>;
export function ensureBuilt(options?: { force?: boolean }): Promise<void>;
