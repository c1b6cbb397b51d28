// The relay's version: the release every package shares.
import { CROSSTALK_VERSION } from '@crosstalk/core';

export function readVersion(): string {
  return CROSSTALK_VERSION;
}
