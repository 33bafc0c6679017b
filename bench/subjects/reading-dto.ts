import { IsInt, IsNumber, IsString } from 'class-validator';
import type { Reading } from './probe';

/** The benchmark payload as a validated DTO (subject (c)). */
export class ReadingDto implements Reading {
  @IsString()
  device_id!: string;

  @IsInt()
  seq!: number;

  @IsNumber()
  t!: number;

  @IsNumber()
  temperature!: number;

  @IsNumber()
  humidity!: number;

  @IsString()
  status!: string;
}
