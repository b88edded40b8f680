/**
 * A model version's metrics as (name, value) pairs for a gauge: numbers as they are, nested objects
 * one level down as `outer.inner` (e.g. `validation.recall@20`); anything else is left out.
 */
export function numericMetrics(metrics: Record<string, unknown> | null | undefined): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const [k, v] of Object.entries(metrics ?? {})) {
    if (typeof v === 'number' && Number.isFinite(v)) out.push([k, v]);
    else if (v && typeof v === 'object' && !Array.isArray(v))
      for (const [k2, v2] of Object.entries(v as Record<string, unknown>))
        if (typeof v2 === 'number' && Number.isFinite(v2)) out.push([`${k}.${k2}`, v2]);
  }
  return out;
}
