import { Injectable } from '@nestjs/common';
import { badInput, ErrorDetail, notFound } from '../common/errors/domain-error';
import { ItemInput } from './dto/item.input';
import { GraphChanges } from './graph-changes';
import { ItemsRepository } from './items.repository';
import { ATTRIBUTES_MAX_BYTES, BATCH_MAX } from './limits';
import { ItemType } from './types/item.type';
import { DeleteItemsPayload, ItemsChangedPayload } from './types/payloads.type';
import { missingKeys, unknownIds } from './unknown-ids';

@Injectable()
export class ItemsService {
  constructor(
    private readonly items: ItemsRepository,
    private readonly changes: GraphChanges,
  ) {}

  async upsert(inputs: ItemInput[]): Promise<ItemType[]> {
    if (inputs.length === 0) return [];
    if (inputs.length > BATCH_MAX) throw badInput('BATCH_TOO_LARGE', `at most ${BATCH_MAX} items per call, got ${inputs.length}`);
    const seen = new Set<string>();
    const details: ErrorDetail[] = [];
    for (const [i, it] of inputs.entries()) {
      if (seen.has(it.id)) details.push({ field: `items[${i}].id`, message: `duplicate id ${JSON.stringify(it.id)} in the batch` });
      seen.add(it.id);
      if (it.attributes && Buffer.byteLength(JSON.stringify(it.attributes)) > ATTRIBUTES_MAX_BYTES) {
        details.push({ field: `items[${i}].attributes`, message: `larger than ${ATTRIBUTES_MAX_BYTES} bytes` });
      }
    }
    if (details.length)
      throw badInput('INVALID_ITEMS', `${details.length} invalid item(s): ${details.map((d) => d.field).join(', ')}`, details);
    const rows = inputs.map((it) => ({
      id: it.id,
      title: it.title ?? null,
      // Repeated tags collapse to one, first occurrence order kept.
      tags: it.tags ? [...new Set(it.tags)] : null,
      attributesJson: it.attributes ? JSON.stringify(it.attributes) : null,
    }));
    return this.changes.after({ kind: 'itemsUpserted', itemIds: rows.map((r) => r.id) }, () => this.items.upsert(rows, Date.now()));
  }

  async get(id: string): Promise<ItemType> {
    const item = await this.items.get(id);
    if (!item) throw notFound('ITEM_NOT_FOUND', `no item with id ${JSON.stringify(id)}`);
    return item;
  }

  /** Hidden items keep their edges (training signal) but recommendation code skips them. All ids must exist. */
  async setHidden(ids: string[], hidden: boolean): Promise<ItemsChangedPayload> {
    const distinct = this.checkIds(ids);
    const out = await this.changes.after({ kind: 'itemsHidden', itemIds: distinct }, () => this.items.setHidden(distinct, hidden));
    if ('missing' in out) throw this.unknown(ids, out.missing);
    return out.result;
  }

  /**
   * Deletes items with every edge they have and tombstones them; all ids must exist, otherwise
   * nothing is deleted. Serving masks tombstoned items (models trained before still hold them).
   */
  async delete(ids: string[]): Promise<DeleteItemsPayload> {
    const distinct = this.checkIds(ids);
    const out = await this.changes.after({ kind: 'itemsDeleted', itemIds: distinct }, () => this.items.delete(distinct, Date.now()));
    if ('missing' in out) throw this.unknown(ids, out.missing);
    return out.result;
  }

  private checkIds(ids: string[]): string[] {
    if (ids.length > BATCH_MAX) throw badInput('BATCH_TOO_LARGE', `at most ${BATCH_MAX} ids per call, got ${ids.length}`);
    return [...new Set(ids)];
  }

  private unknown(ids: string[], missing: string[]) {
    return unknownIds(
      new Set(missingKeys('item', missing)),
      ids.map((id, i) => ({ id, field: `ids[${i}]`, kind: 'item' as const })),
    );
  }
}
