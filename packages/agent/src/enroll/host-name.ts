// The host name a machine gets when none is given: its hostname, made to fit the name rule.
import { isValidName, NAME_MAX_LENGTH, slugify } from '@crosstalk/core';

export function defaultHostName(machineHostname: string): string {
  const firstLabel = machineHostname.split('.')[0] ?? '';
  const name = slugify(firstLabel, NAME_MAX_LENGTH) || 'host';
  // A Windows device name (`con`, `nul`, …) fits the pattern but is refused; a suffix makes it valid.
  const suffixed = `${name.slice(0, NAME_MAX_LENGTH - 5).replace(/-+$/, '')}-host`;
  return isValidName(name) ? name : suffixed;
}
