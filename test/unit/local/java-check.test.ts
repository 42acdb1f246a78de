import { afterEach, describe, expect, it } from 'vitest';
import { assertJavaAvailable } from '../../../local/dynamodb-local.js';

describe('assertJavaAvailable', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it('says Java 17 is needed, and how to get it, when java is not on PATH', () => {
    process.env.PATH = '/nonexistent';

    expect(() => assertJavaAvailable()).toThrow(
      /needs Java 17 or later.*apt-get install -y openjdk-17-jre-headless/s,
    );
  });

  it('passes where java runs', () => {
    expect(() => assertJavaAvailable()).not.toThrow();
  });
});
