import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { TrainingService } from '../training.service';
import { EventStream } from './event-stream';
import { fromProgress, fromRun, isFinished } from './progress-events';
import { QueueEventsRepository, RunEvent } from './queue-events.repository';
import type { TrainingProgressType } from './training-progress.type';

/** Live progress subscriptions one process holds at most (each is a listener and a small buffer). */
export const PROGRESS_SUBSCRIPTIONS_MAX = 200;
/** Messages one slow subscriber may have waiting; older progress is dropped first. */
const BUFFER = 64;

/** Live progress of one training run, for the trainingProgress subscription. */
@Injectable()
export class TrainingProgressService {
  constructor(
    private readonly events: QueueEventsRepository,
    private readonly training: TrainingService,
  ) {}

  /**
   * The run as it stands, then every step the worker reports, then its outcome; the stream completes
   * once the run has finished. NOT_FOUND for an unknown run, before anything is sent.
   */
  async watch(runId: string): Promise<AsyncIterableIterator<TrainingProgressType>> {
    if (this.events.listening >= PROGRESS_SUBSCRIPTIONS_MAX)
      throw new DomainError(
        'UNAVAILABLE',
        'SUBSCRIPTIONS_EXHAUSTED',
        `This process already serves ${PROGRESS_SUBSCRIPTIONS_MAX} progress subscriptions`,
      );
    let stop: () => void = () => undefined;
    const out = new EventStream<TrainingProgressType>(BUFFER, () => stop());
    let finishing = false;
    const finish = () => {
      if (finishing) return;
      finishing = true;
      // the outcome (SUCCEEDED with its version, FAILED or CANCELLED with the reason) as the queue keeps it
      void this.training
        .get(runId)
        .then(
          (run) => out.push(fromRun(run)),
          () => undefined,
        )
        .finally(() => out.end());
    };
    const onEvent = (e: RunEvent) => {
      if (e.kind === 'finished') return finish();
      if (e.kind === 'active') return;
      const step = fromProgress(runId, e.data);
      if (step) out.push(step);
    };
    // Listen first, then read the run: a step between the two is heard rather than lost.
    stop = await this.events.listen(runId, onEvent);
    try {
      const now = fromRun(await this.training.get(runId));
      out.push(now);
      if (isFinished(now)) out.end();
    } catch (err) {
      out.return();
      throw err;
    }
    return out;
  }
}
