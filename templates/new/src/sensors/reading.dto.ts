import { IsNumber, IsOptional, Max, Min } from 'class-validator';

/**
 * The payload of `sensors/{device_id}/data`, e.g. `{"temperature": 21.5, "humidity": 40}`. It is
 * validated before the handler runs: anything else fails with ERR_VALIDATION_FAILED.
 */
export class ReadingDto {
  @IsNumber({ allowNaN: false, allowInfinity: false })
  temperature!: number;

  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(100)
  humidity?: number;
}
