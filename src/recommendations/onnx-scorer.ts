import { Injectable, Optional } from '@nestjs/common';
import * as ort from 'onnxruntime-node';
import { performance } from 'node:perf_hooks';
import { ModelArtifacts } from '../model-registry/artifacts';
import { Telemetry } from '../observability/telemetry';
import { finish } from '../observability/tracing';

/** Runs a model's two ONNX graphs on a batch of one: fold-in (user's items + friends → vector) and scoring. */
@Injectable()
export class OnnxScorer {
  constructor(@Optional() private readonly telemetry?: Telemetry) {}

  /** One ONNX Runtime call, timed (tastegraph_onnx_inference_duration_seconds) and traced (`onnx <graph>`). */
  private async run(graph: 'fold-in' | 'score', session: ort.InferenceSession, feeds: Record<string, ort.Tensor>) {
    const t = this.telemetry;
    if (!t?.metrics && !t?.tracing.enabled) return session.run(feeds);
    const t0 = performance.now();
    const span = t.tracing.start(`onnx ${graph}`, { 'tastegraph.onnx.graph': graph });
    try {
      const out = await session.run(feeds);
      t.metrics?.onnxDuration.observe({ graph }, (performance.now() - t0) / 1000);
      finish(span);
      return out;
    } catch (err) {
      finish(span, err);
      throw err;
    }
  }

  /**
   * The user's embedding from the model items they interacted with (indices, weights) and their
   * friends in the model. Empty lists are padded with one masked entry (the exported graph wants K, F ≥ 1).
   */
  async foldIn(model: ModelArtifacts, items: number[], weights: number[], friends: number[]): Promise<Float32Array> {
    const k = Math.max(1, items.length);
    const f = Math.max(1, friends.length);
    const itemIdx = new BigInt64Array(k);
    const itemW = new Float32Array(k);
    const itemMask = new Float32Array(k);
    items.forEach((i, n) => {
      itemIdx[n] = BigInt(i);
      itemW[n] = weights[n];
      itemMask[n] = 1;
    });
    const friendIdx = new BigInt64Array(f);
    const friendMask = new Float32Array(f);
    friends.forEach((u, n) => {
      friendIdx[n] = BigInt(u);
      friendMask[n] = 1;
    });
    const out = await this.run('fold-in', model.encoder, {
      item_idx: new ort.Tensor('int64', itemIdx, [1, k]),
      item_w: new ort.Tensor('float32', itemW, [1, k]),
      item_mask: new ort.Tensor('float32', itemMask, [1, k]),
      friend_idx: new ort.Tensor('int64', friendIdx, [1, f]),
      friend_mask: new ort.Tensor('float32', friendMask, [1, f]),
    });
    // A copy the request owns (the session may reuse its output buffers).
    return new Float32Array(out.user_emb.data as Float32Array);
  }

  /** Scores of every model item for one user vector. */
  async score(model: ModelArtifacts, userVec: Float32Array): Promise<Float32Array> {
    const out = await this.run('score', model.scorer, { user_emb: new ort.Tensor('float32', userVec, [1, model.dim]) });
    return out.scores.data as Float32Array;
  }
}
