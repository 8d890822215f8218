// Several Compose files into one model, in order, as `docker compose -f a.yml -f b.yml` merges them (the Compose
// specification's merge rules): mappings merge key by key, sequences append, except that command, entrypoint and
// healthcheck.test are replaced and ports, volumes, secrets and configs are unique by their key; `!reset` drops
// what earlier files set and `!override` replaces it. Each file is normalised first, so "KEY=value" lists and
// mappings of environment and labels, and short and long ports, merge alike.
import { parsePortEntry } from "@/lib/deploy/compose/ports";
import { keepPositions, Override, positionOf, RESET, setPosition } from "@/lib/deploy/compose/yaml-tree";

type Model = Record<string, unknown>;

const REPLACED = new Set(["command", "entrypoint"]);
const UNIQUE_BY_TARGET = new Set(["volumes", "secrets", "configs"]);
const KEY_VALUE_LISTS = new Set(["environment", "labels", "annotations", "extra_hosts", "sysctls"]);

function isMapping(value: unknown): value is Model {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Override);
}

/** "KEY=value" / "KEY" lists of a service as mappings (extra_hosts also take "host:ip"). */
function keyValueMap(list: unknown[], field: string): Model {
  const out: Model = Object.create(null);
  list.forEach((item, i) => {
    const text = String(item ?? "");
    const at = field === "extra_hosts" && !text.includes("=") ? text.indexOf(":") : text.indexOf("=");
    const key = at === -1 ? text : text.slice(0, at);
    out[key] = at === -1 ? null : text.slice(at + 1);
    setPosition(out, key, positionOf(list, i));
  });
  return out;
}

/** Short and long entries publishing the same ports are one entry (a bad entry is judged later, where it is read). */
function portKey(port: unknown): string {
  try {
    return JSON.stringify(parsePortEntry(port));
  } catch {
    return JSON.stringify(port);
  }
}

function targetKey(item: unknown): string {
  if (isMapping(item)) return String(item.target ?? JSON.stringify(item));
  if (typeof item === "string") {
    // "source:target[:mode]" or "target" (an anonymous volume); secrets and configs by name
    const parts = item.split(":");
    return parts.length >= 2 ? parts[1]! : parts[0]!;
  }
  return JSON.stringify(item);
}

/** Normalises one file's services in place so they merge alike: key=value lists become mappings. */
export function normaliseFile(model: Model): Model {
  const services = model.services;
  if (!isMapping(services)) return model;
  for (const name of Object.keys(services)) {
    const service = services[name];
    if (!isMapping(service)) continue;
    for (const field of KEY_VALUE_LISTS) {
      const value = service[field];
      if (Array.isArray(value)) service[field] = keyValueMap(value, field);
    }
    if (Array.isArray(service.networks)) {
      const list = service.networks;
      const networks: Model = Object.create(null);
      list.forEach((network, i) => {
        networks[String(network)] = null;
        setPosition(networks, String(network), positionOf(list, i));
      });
      service.networks = networks;
    }
  }
  return model;
}

/**
 * The value without merge tags: `!reset` entries dropped, `!override` unwrapped. In place (the models are
 * this module's own, freshly read), so positions stay attached; a sequence only is rebuilt when it held a reset.
 */
function strip(value: unknown): unknown {
  if (value === RESET) return undefined;
  if (value instanceof Override) return strip(value.value);
  if (Array.isArray(value)) {
    let reset = false;
    for (let i = 0; i < value.length; i++) {
      const item = strip(value[i]);
      if (item === undefined) reset = true;
      else value[i] = item;
    }
    if (!reset) return value;
    const out: unknown[] = [];
    value.forEach((item, i) => {
      if (item === RESET) return;
      setPosition(out, out.length, positionOf(value, i));
      out.push(item);
    });
    return out;
  }
  if (isMapping(value)) {
    for (const key of Object.keys(value)) {
      const item = strip(value[key]);
      if (item === undefined) delete value[key];
      else value[key] = item;
    }
  }
  return value;
}

/** `base` then `over`; with `key`, an item of `over` replaces the item of `base` with the same key. */
function append(base: unknown[], over: unknown[], key?: (item: unknown) => string): unknown[] {
  const out = [...base];
  keepPositions(base, out);
  const index = new Map(key ? out.map((item, i) => [key(item), i]) : []);
  over.forEach((item, i) => {
    const at = key ? index.get(key(item)) : undefined;
    const position = positionOf(over, i);
    if (at === undefined) {
      if (key) index.set(key(item), out.length);
      setPosition(out, out.length, position);
      out.push(strip(item));
    } else {
      out[at] = strip(item);
      setPosition(out, at, position);
    }
  });
  return out;
}

function mergeValue(path: string[], base: unknown, over: unknown): unknown {
  if (over === RESET) return undefined;
  if (over instanceof Override || base === undefined) return strip(over);
  const field = path.at(-1) ?? "";
  const inService = path[0] === "services" && path.length === 3;
  const isHealthTest = path[0] === "services" && path.length === 4 && path[2] === "healthcheck" && field === "test";
  if (Array.isArray(base) && Array.isArray(over)) {
    if ((inService && REPLACED.has(field)) || isHealthTest) return strip(over);
    if (inService && field === "ports") return append(base, over, portKey);
    if (inService && UNIQUE_BY_TARGET.has(field)) return append(base, over, targetKey);
    return append(base, over);
  }
  if (isMapping(base) && isMapping(over)) {
    // Without a prototype, so a key such as __proto__ is a key like any other.
    const out: Model = Object.assign(Object.create(null), base);
    keepPositions(base, out);
    for (const key of Object.keys(over)) {
      const merged = mergeValue([...path, key], base[key], over[key]);
      if (merged === undefined) delete out[key];
      else {
        out[key] = merged;
        setPosition(out, key, positionOf(over, key));
      }
    }
    return out;
  }
  return strip(over);
}

/** The files' models, normalised and merged in order into one. */
export function mergeComposeFiles(models: Model[]): Model {
  let merged: Model = Object.create(null);
  for (const model of models) merged = mergeValue([], merged, normaliseFile(model)) as Model;
  return merged;
}
