import { describe, expect, it } from 'vitest';
import { parseLoadOptions } from '../../datasets/modelSource';

describe('parseLoadOptions', () => {
  it('reads version, alpha and inputRange from the SOURCE.md example', () => {
    const md = [
      '## Use',
      '```js',
      'const model = await mobilenet.load({',
      '  version: 2, alpha: 1.0,',
      "  modelUrl: '<where you serve it>/model.json',",
      '  inputRange: [0, 1],   // required',
      '});',
      '```',
    ].join('\n');
    expect(parseLoadOptions(md)).toEqual({ version: 2, alpha: 1, inputRange: [0, 1] });
  });

  it('keeps a [-1, 1] range and fractional alpha', () => {
    const md = 'mobilenet.load({ version: 1, alpha: 0.25, inputRange: [-1, 1] })';
    expect(parseLoadOptions(md)).toEqual({ version: 1, alpha: 0.25, inputRange: [-1, 1] });
  });

  it('refuses a SOURCE.md without inputRange rather than guess it', () => {
    expect(() => parseLoadOptions('mobilenet.load({ version: 2, alpha: 1.0 })')).toThrow(/inputRange/);
    expect(() => parseLoadOptions('# nothing here')).toThrow(/no `mobilenet.load/);
  });
});
