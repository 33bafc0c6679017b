/**
 * The DTOs of the differential test: between them, every rule the compiled validator knows, alone,
 * combined, nested and with `each`.
 */
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  Allow,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

/** The benchmark's reading: six flat typed fields. */
export class FlatReadingDto {
  @IsString() device_id!: string;
  @IsInt() seq!: number;
  @IsNumber() t!: number;
  @IsNumber() temperature!: number;
  @IsNumber() humidity!: number;
  @IsString() status!: string;
}

export enum Mode {
  Auto = 'auto',
  Manual = 'manual',
  Level = 3,
}

/** Bounds, optional and defined fields, string lengths, sets of values, arrays with `each`. */
export class RulesDto {
  @IsInt() @Min(-40) @Max(125) celsius!: number;
  @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(100) humidity?: number;
  @IsDefined() @IsString() @Length(2, 8) name!: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(4) tag?: string;
  @IsIn(['ok', 'warn', 'fail', 0]) status!: string | number;
  @IsEnum(Mode) mode!: Mode;
  @IsBoolean() armed!: boolean;
  @IsOptional() @IsArray() @IsNumber({}, { each: true }) @Max(10, { each: true }) samples?: number[];
  @IsArray() @IsString({ each: true }) @MaxLength(3, { each: true }) labels!: string[];
  @Allow() note?: unknown;
  @IsOptional() @IsDefined() @IsInt() spare?: number;
  /** A default the constructor sets: used when the payload leaves the property out. */
  @IsOptional() @IsInt() @Min(1) level = 1;
}

export class PointDto {
  @IsNumber() @Min(-90) @Max(90) lat!: number;
  @IsNumber() @Min(-180) @Max(180) lon!: number;
  @IsOptional() @IsString() @MaxLength(5) label?: string;
}

export class PathDto {
  @IsString() id!: string;
  @ValidateNested() @Type(() => PointDto) start!: PointDto;
  @IsOptional() @ValidateNested() @Type(() => PointDto) end?: PointDto;
  @IsArray() @ValidateNested({ each: true }) @Type(() => PointDto) points!: PointDto[];
}
