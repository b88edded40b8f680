import { inflate, readNpy, Embeddings } from './lib/ann-engines';
import { measureSimilar } from './lib/similar-bench';
const it = readNpy('/work/main/var/bench-serving-models/tastegraph-model-P4f64e/run/item_embeddings.npy');
(async () => {
  for (const n of [17632, 100000]) {
    const e: Embeddings = { name: 'x', dim: it.cols, items: n === it.rows ? it.data : inflate(it.data, it.cols, n, 11), n, queries: new Float32Array(0), nq: 0 };
    console.log(JSON.stringify(await measureSimilar(e, 100)));
  }
})();
