/**
 * Which DTO routes run the compiled validator, and the reasons the others keep class-validator; and
 * what a compiled route gives the handler and its errors.
 */
import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsNumber, IsString, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';
import { compiledValidatorOf } from '../../../../src/validation/compiled-validator';
import { createDtoDecoder } from '../../../../src/validation/dto-converter';
import { PayloadValidationError } from '../../../../src/validation/payload-validation-error';
import { FlatReadingDto, PathDto, PointDto, RulesDto } from './dtos';

/** A custom rule that borrows the name of a known one. */
const LooksLikeIsNumber = () =>
  ValidateBy({ name: 'isNumber', validator: { validate: (value: unknown) => value === 'number' } });

class ImpostorDto {
  @LooksLikeIsNumber() value!: unknown;
}

class CustomDto {
  @ValidateBy({
    name: 'isEven',
    validator: { validate: (value: unknown) => typeof value === 'number' && value % 2 === 0 },
  })
  value!: number;
}

class ConditionalDto {
  @ValidateIf((o: { kind?: string }) => o.kind === 'x') @IsInt() value!: number;
  @IsString() kind!: string;
}

class TransformedDto {
  @Transform(({ value }: { value: unknown }) => Number(value)) @IsNumber() value!: number;
}

class UntypedNestedDto {
  @ValidateNested() point!: PointDto;
}

class ConvertedDto {
  @IsNumber() @Type(() => Number) value!: number;
}

const reasonOf = (dto: new () => object, options = {}): string | undefined =>
  compiledValidatorOf(dto, options, 'Test.route').report.reason;

describe('compiledValidatorOf', () => {
  it('compiles the DTOs made of known rules', () => {
    for (const dto of [FlatReadingDto, RulesDto, PathDto]) {
      expect(compiledValidatorOf(dto, {}, 'Test.route').report).toEqual({
        route: 'Test.route',
        dto: dto.name,
        compiled: true,
      });
    }
  });

  it.each([
    [
      'a custom rule that reuses a known name',
      ImpostorDto,
      /ImpostorDto.value has a rule the compiler does not know \(isNumber\)/,
    ],
    ['a custom rule', CustomDto, /does not know \(isEven\)/],
    ['@ValidateIf', ConditionalDto, /@ValidateIf/],
    ['@Transform', TransformedDto, /uses @Transform/],
    ['@ValidateNested without @Type', UntypedNestedDto, /without @Type/],
    ['@Type without @ValidateNested', ConvertedDto, /@Type without @ValidateNested/],
  ])('leaves %s to class-validator, saying why', (_name, dto, reason) => {
    expect(reasonOf(dto)).toMatch(reason);
  });

  it.each([
    [{ enableImplicitConversion: true }, 'the route sets enableImplicitConversion'],
    [{ skipMissingProperties: true }, 'the route sets skipMissingProperties'],
    [{ stopAtFirstError: true }, 'the route sets stopAtFirstError'],
    [{ groups: ['a'] }, 'the route validates groups'],
  ])('leaves routes with %j to class-validator', (options, reason) => {
    expect(reasonOf(FlatReadingDto, options)).toBe(reason);
  });
});

describe('a compiled DTO route', () => {
  const decode = createDtoDecoder(PathDto, {}, 'Test.route');
  const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

  it('gives instances of the DTO and its nested classes', () => {
    const path = decode(
      bytes({ id: 'p', start: { lat: 1, lon: 2 }, points: [{ lat: 3, lon: 4 }] }),
    ) as PathDto;
    expect(path).toBeInstanceOf(PathDto);
    expect(path.start).toBeInstanceOf(PointDto);
    expect(path.points[0]).toBeInstanceOf(PointDto);
  });

  it("refuses with class-validator's own messages", async () => {
    // A nested DTO goes through class-validator's async path: the refusal is a rejected promise.
    const refused = Promise.resolve().then(() =>
      decode(bytes({ id: 'p', start: { lat: 91, lon: 2 }, points: [], extra: 1 })),
    );
    const error: unknown = await refused.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PayloadValidationError);
    expect((error as PayloadValidationError).constraints).toEqual([
      { path: 'extra', constraints: { whitelistValidation: 'property extra should not exist' } },
      { path: 'start.lat', constraints: { max: 'lat must not be greater than 90' } },
    ]);
  });

  it('keeps a default the constructor sets when the payload leaves it out', () => {
    const { run } = compiledValidatorOf(RulesDto, {}, 'Test.route');
    const { instance, failures } = run!({
      celsius: 20,
      name: 'abc',
      status: 'ok',
      mode: 'auto',
      armed: true,
      labels: [],
    });
    expect(failures).toEqual([]);
    expect((instance as RulesDto).level).toBe(1);
  });
});
