import { describe, expect, it } from 'vitest';
import { cameraErrorMessage } from '../../src/lib/cameraErrors';

describe('camera error messages', () => {
  it('says clearly whether permission was denied or there is no camera', () => {
    expect(cameraErrorMessage({ name: 'NotAllowedError' })).toMatch(/permission was denied/);
    expect(cameraErrorMessage({ name: 'NotFoundError' })).toMatch(/No camera was found/);
    expect(cameraErrorMessage({ name: 'NotReadableError' })).toMatch(/in use/);
    expect(cameraErrorMessage({ name: 'NoMediaDevices' })).toMatch(/https or from localhost/);
  });

  it('passes any other reason on', () => {
    expect(cameraErrorMessage({ name: 'TypeError', message: 'bad constraints' })).toBe(
      'The camera could not start: bad constraints',
    );
    expect(cameraErrorMessage(null)).toBe('The camera could not start.');
  });
});
