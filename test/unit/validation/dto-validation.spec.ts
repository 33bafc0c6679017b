import 'reflect-metadata';
import { IsNumber, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { Controller, isRouteMQError, Module, Payload, PayloadValidationError, Topic } from 'routemq';
import { createTestApp, type TestApp } from 'routemq/testing';
import { BAD_PAYLOADS } from './bad-payloads';
import { calls, LocationDto, ReadingDto, ReadingModule } from './fixtures';

const MiB = 1024 * 1024;

describe('@Payload() with a class-validator DTO', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Above the 1 MiB cases, so that this layer (not MAX_PAYLOAD_BYTES) is what refuses them.
    t = await createTestApp(ReadingModule, { maxPayloadBytes: 4 * MiB });
  });
  afterAll(() => t.close());
  beforeEach(() => calls.splice(0));

  it('gives the handler a DTO instance (nested DTOs too) for a valid payload', async () => {
    const { result, error } = await t.dispatch('strict/d1', {
      temperature: 21.5,
      humidity: 40,
      location: { lat: 1, lon: 2 },
    });
    expect(error).toBeUndefined();
    expect(result).toBeInstanceOf(ReadingDto);
    expect((result as ReadingDto).location).toBeInstanceOf(LocationDto);
    expect(result).toEqual({ temperature: 21.5, humidity: 40, location: { lat: 1, lon: 2 } });
  });

  it.each(BAD_PAYLOADS)('refuses %s before the handler runs', async (_name, payload, code, fragment) => {
    const { error, outcomes } = await t.dispatch('strict/d1', payload);
    expect(calls).toEqual([]);
    expect(outcomes).toHaveLength(1);
    expect(isRouteMQError(error)).toBe(true);
    expect((error as { code: string }).code).toBe(code);
    const message = (error as Error).message;
    expect(message).toContain(fragment);
    expect(message).toContain('ReadingController.strict');
    expect(message).toContain('Fix:');
    // The message never echoes a huge value back into the logs.
    expect(message.length).toBeLessThan(2000);
  });

  it('leaves Object.prototype alone whatever the payload said', async () => {
    for (const [, payload] of BAD_PAYLOADS) await t.dispatch('strict/d1', payload);
    await t.dispatch(
      'plain/d1',
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('raises a PayloadValidationError listing every property path and constraint', async () => {
    const { error } = await t.dispatch('strict/d1', {
      temperature: 'hot',
      humidity: -1,
      location: { lat: 1 },
      extra: true,
    });
    expect(error).toBeInstanceOf(PayloadValidationError);
    const failure = error as PayloadValidationError;
    expect(failure.code).toBe('ERR_VALIDATION_FAILED');
    expect(failure.constraints.map((c) => c.path).sort()).toEqual([
      'extra',
      'humidity',
      'location.lon',
      'temperature',
    ]);
    expect(failure.constraints.find((c) => c.path === 'humidity')?.constraints).toEqual({
      min: 'humidity must not be less than 0',
    });
    expect(failure.message).toContain('does not satisfy ReadingDto');
  });

  it('strips undeclared fields silently with forbidNonWhitelisted: false', async () => {
    const { result, error } = await t.dispatch('strip/d1', { temperature: 3, extra: 'dropped' });
    expect(error).toBeUndefined();
    expect(result).toEqual({ temperature: 3 });
  });

  it('skips missing properties with skipMissingProperties: true', async () => {
    const { result, error } = await t.dispatch('partial/d1', { humidity: 50 });
    expect(error).toBeUndefined();
    expect(result).toEqual({ humidity: 50 });
  });

  it('converts to the declared types only with enableImplicitConversion: true', async () => {
    expect((await t.dispatch('convert/d1', { temperature: '21.5' })).result).toEqual({ temperature: 21.5 });
    expect((await t.dispatch('strict/d1', { temperature: '21.5' })).error).toBeInstanceOf(
      PayloadValidationError,
    );
  });

  it('keeps plain JSON for a parameter typed with an interface (no DTO, no validation)', async () => {
    const { result } = await t.dispatch('plain/d1', { temperature: 'anything', extra: 1 });
    expect(result).toEqual({ temperature: 'anything', extra: 1 });
  });
});

describe('a DTO without class-validator decorators', () => {
  class Undecorated {
    temperature!: number;
  }

  it('stops the boot, naming the route and the class, instead of failing every message', async () => {
    @Controller()
    class BadController {
      @Topic('bad')
      bad(@Payload() _reading: Undecorated) {}
    }
    @Module({ controllers: [BadController] })
    class BadModule {}
    const failure = createTestApp(BadModule);
    await expect(failure).rejects.toMatchObject({ code: 'ERR_ROUTE_INVALID' });
    await expect(failure).rejects.toThrow(
      /BadController\.bad.*Undecorated has no class-validator decorators/,
    );
  });

  it('is accepted once any property is decorated', async () => {
    class Decorated {
      @IsNumber()
      temperature!: number;
    }
    @Controller()
    class GoodController {
      @Topic('good')
      good(@Payload() reading: Decorated) {
        return reading;
      }
    }
    @Module({ controllers: [GoodController] })
    class GoodModule {}
    const t = await createTestApp(GoodModule);
    expect((await t.dispatch('good', { temperature: 1 })).result).toBeInstanceOf(Decorated);
    await t.close();
  });
});

describe('a DTO with an asynchronous rule', () => {
  // Rules that are all synchronous are checked with validateSync, which skips async ones: a DTO with
  // an async constraint must keep validate(), or its rule would silently never run.
  @ValidatorConstraint({ async: true })
  class KnownDevice implements ValidatorConstraintInterface {
    async validate(value: unknown) {
      await new Promise((resolve) => setImmediate(resolve));
      return value === 'known';
    }
  }
  class DeviceDto {
    @Validate(KnownDevice)
    device!: string;
  }

  it('still runs the async rule', async () => {
    @Controller()
    class DeviceController {
      @Topic('device')
      device(@Payload() body: DeviceDto) {
        return body;
      }
    }
    @Module({ controllers: [DeviceController] })
    class DeviceModule {}
    const t = await createTestApp(DeviceModule);
    expect((await t.dispatch('device', { device: 'known' })).result).toBeInstanceOf(DeviceDto);
    expect((await t.dispatch('device', { device: 'other' })).error).toBeInstanceOf(PayloadValidationError);
    await t.close();
  });
});
