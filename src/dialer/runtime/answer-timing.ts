/**
 * Originate → answer, for bereik_originate_to_answer_seconds. A call is answered when its
 * channel goes Up or, for a dialplan-routed call (AMD), when it enters Stasis: the app
 * hears nothing of it before (the same two signals runtime/live.ts records as answered_at).
 * A call that ends unanswered is not observed. On the call's clock, like answered_at.
 */
import type { Clock } from '../../lib/clock.ts';
import type { Observer } from '../../lib/metrics.ts';
import type { Call } from '../../telephony/types.ts';

export function timeAnswer(call: Call, clock: Clock, originatedAt: number, observer: Observer): void {
  let timed = false;
  const answered = () => {
    call.off('answered', answered);
    if (timed) return;
    timed = true;
    observer.observe((clock.now() - originatedAt) / 1000);
  };
  call.on('answered', answered);
  void call.whenInStasis().then((args) => (args ? answered() : call.off('answered', answered)));
}
