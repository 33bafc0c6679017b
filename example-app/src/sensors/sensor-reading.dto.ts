import { IsNumber, IsOptional, Max, Min } from 'class-validator';

/**
 * The payload of `sensors/{device_id}/data`, e.g. `{"temperature": 21.5, "humidity": 40}`. The
 * framework validates it before the handler runs: anything else (a string temperature, humidity 140,
 * an undeclared field) fails with ERR_VALIDATION_FAILED and never reaches the handler.
 */
export class SensorReadingDto {
  @IsNumber({ allowNaN: false, allowInfinity: false })
  temperature!: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  humidity?: number;
}
