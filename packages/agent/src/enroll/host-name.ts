// The host name a machine gets when none is given: its hostname, made to fit the name rule.
import { isValidName, NAME_MAX_LENGTH } from '@crosstalk/core';

export function defaultHostName(machineHostname: string): string {
  const firstLabel = machineHostname.split('.')[0] ?? '';
  let name = firstLabel
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, NAME_MAX_LENGTH)
    .replace(/-+$/g, '');
  if (name === '') name = 'host';
  // A Windows device name (`con`, `nul`, …) fits the pattern but is refused; a suffix makes it valid.
  const suffixed = `${name.slice(0, NAME_MAX_LENGTH - 5).replace(/-+$/, '')}-host`;
  return isValidName(name) ? name : suffixed;
}
