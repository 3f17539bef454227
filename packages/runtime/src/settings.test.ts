import { describe, expect, it } from 'vitest';
import { booleanSetting, integerSetting, listSetting, SettingError } from './settings.ts';

describe('settings from the environment', () => {
  it('take the default when unset or empty', () => {
    expect(integerSetting({}, 'PORT', 8080, 0, 65535)).toBe(8080);
    expect(integerSetting({ PORT: '' }, 'PORT', 8080, 0, 65535)).toBe(8080);
    expect(booleanSetting({}, 'ON', true)).toBe(true);
    expect(listSetting({}, 'NAMESPACE')).toEqual([]);
  });

  it('read what is set', () => {
    expect(integerSetting({ PORT: '9443' }, 'PORT', 8080, 0, 65535)).toBe(9443);
    expect(booleanSetting({ ON: 'FALSE' }, 'ON', true)).toBe(false);
    expect(booleanSetting({ ON: '1' }, 'ON', false)).toBe(true);
    expect(listSetting({ NAMESPACE: ' a, ,b ' }, 'NAMESPACE')).toEqual(['a', 'b']);
  });

  it('refuse a wrong value, naming the variable', () => {
    expect(() => integerSetting({ PORT: '80.5' }, 'PORT', 8080, 0, 65535)).toThrow(
      'PORT must be a whole number from 0 to 65535, not 80.5',
    );
    expect(() => integerSetting({ PORT: '70000' }, 'PORT', 8080, 0, 65535)).toThrow(SettingError);
    expect(() => booleanSetting({ ON: 'yes' }, 'ON', false)).toThrow('ON must be true or false, not yes');
  });
});
