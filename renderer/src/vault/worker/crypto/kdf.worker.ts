/**
 * One Argon2id derivation for the vault worker, which terminates this worker
 * once it answers: the memory Argon2id grows goes with it. It sees the
 * passphrase bytes it is sent and the key it returns, nothing else.
 */
import sodium from 'libsodium-wrappers-sumo';
import { answerKdfRequest } from './kdf-in-worker';

// Listen at once: a request sent before a listener exists would be lost.
self.addEventListener('message', (event: MessageEvent<unknown>) => {
  void sodium.ready.then(
    () => {
      const { reply, transfer } = answerKdfRequest(event.data);
      self.postMessage(reply, { transfer });
    },
    () => self.postMessage({ failed: true }),
  );
});
