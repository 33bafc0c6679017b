/**
 * DTOs and controllers shared by the validation specs.
 * @module
 */
import { Type } from 'class-transformer';
import { IsNumber, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Controller, Module, Param, Payload, Topic } from 'routemq';

export class LocationDto {
  @IsNumber()
  lat!: number;

  @IsNumber()
  lon!: number;
}

export class ReadingDto {
  @IsNumber({ allowNaN: false, allowInfinity: false })
  temperature!: number;

  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(100)
  humidity?: number;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  label?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto;
}

/** What each handler received, in order (a handler that never ran leaves nothing). */
export const calls: Array<{ route: string; payload: unknown }> = [];

@Controller()
export class ReadingController {
  @Topic('strict/{id}')
  strict(@Param('id') _id: string, @Payload() reading: ReadingDto) {
    calls.push({ route: 'strict', payload: reading });
    return reading;
  }

  @Topic('strip/{id}', { validation: { forbidNonWhitelisted: false } })
  strip(@Payload() reading: ReadingDto) {
    calls.push({ route: 'strip', payload: reading });
    return reading;
  }

  @Topic('partial/{id}', { validation: { skipMissingProperties: true } })
  partial(@Payload() reading: ReadingDto) {
    calls.push({ route: 'partial', payload: reading });
    return reading;
  }

  @Topic('convert/{id}', { validation: { enableImplicitConversion: true } })
  convert(@Payload() reading: ReadingDto) {
    calls.push({ route: 'convert', payload: reading });
    return reading;
  }

  @Topic('plain/{id}')
  plain(@Payload() payload: { temperature: number }) {
    calls.push({ route: 'plain', payload });
    return payload;
  }
}

@Module({ controllers: [ReadingController] })
export class ReadingModule {}
