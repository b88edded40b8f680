import { Injectable } from '@nestjs/common';
import * as ort from 'onnxruntime-node';
import { ModelArtifacts } from '../model-registry/artifacts';

/** Runs a model's two ONNX graphs on a batch of one: fold-in (user's items + friends → vector) and scoring. */
@Injectable()
export class OnnxScorer {
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
    const out = await model.encoder.run({
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
    const out = await model.scorer.run({ user_emb: new ort.Tensor('float32', userVec, [1, model.dim]) });
    return out.scores.data as Float32Array;
  }
}
