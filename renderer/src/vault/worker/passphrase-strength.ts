import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { MIN_PASSPHRASE_LENGTH, MIN_PASSPHRASE_SCORE, type PassphraseEstimate } from '../api';

let estimator: ZxcvbnFactory | undefined;

function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
  });
  return estimator;
}

/** zxcvbn's estimate plus a length floor; the same rule gates vault creation. */
export function estimatePassphrase(passphrase: string): PassphraseEstimate {
  const result = zxcvbn().check(passphrase.slice(0, 256));
  const acceptable = result.score >= MIN_PASSPHRASE_SCORE && [...passphrase].length >= MIN_PASSPHRASE_LENGTH;
  return { score: result.score, guessesLog10: result.guessesLog10, acceptable };
}
