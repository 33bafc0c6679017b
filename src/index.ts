/**
 * RouteMQ: a framework for MQTT back ends. Decorate controllers, group them in modules, and run them
 * with `createApp(AppModule).then((app) => app.start())`.
 * @module
 */
import 'reflect-metadata';

export { Controller } from './decorators/controller';
export { Topic } from './decorators/topic';
export { UseMiddleware } from './decorators/use-middleware';
export { Param, Payload, Ctx } from './decorators/params';
export { Batch } from './decorators/batch';
export type { TopicOptions, PayloadValidationOptions, BatchOptions } from './metadata/types';
export type { BatchItem } from './batch/batch-item';
export { BatchItemError } from './batch/batch-item-error';
export type { FlushReason } from './batch/flush-reason';

export { Module } from './app/module';
export { Router } from './router/router';
export type {
  RouteHandler,
  RouteHandlerFn,
  ControllerMethod,
  MethodName,
  RouteRegistrar,
  RouterOptions,
  RouterGroupOptions,
  RouterRouteOptions,
  RouterRoute,
  BatchHandlerFn,
  BatchRouteOptions,
} from './router/router-types';
export type { ModuleOptions, Provider, ClassProvider, ValueProvider, FactoryProvider } from './app/module';
export { createApp } from './app/create-app';
export type { AppOptions } from './app/create-app';
export { RouteMQApp } from './app/application';
export type { AppConfig } from './app/config';
export type { RouteDescription } from './app/route-description';

export { MessageContext } from './pipeline/message-context';
export type { RouteInfo, PublishFn } from './pipeline/message-context';
export type { Middleware, MiddlewareClass, Next } from './pipeline/middleware';

export { MqttPublisher } from './transport/publisher';
export { allowEmpty, topic, type EmptyAllowed } from './routing/topic-builder';
export type {
  QoS,
  PublishOptions,
  MessageProperties,
  UserProperties,
  InboundMessage,
} from './transport/transport';

export { REDIS, DATA_SOURCE, LOGGER, APP_CONFIG } from './container/tokens';
export { Idempotent } from './middleware/idempotent';
export type { IdempotentOptions } from './middleware/idempotent';
export { MemoryIdempotencyStore, RedisIdempotencyStore } from './middleware/idempotency-store';
export type { IdempotencyStore, ClaimResult } from './middleware/idempotency-store';
export { RateLimit, RATE_LIMIT_STORE } from './middleware/rate-limit';
export type { RateLimitOptions } from './middleware/rate-limit';
export type { RateLimitKey } from './middleware/rate-limit-key';
export { MemoryRateLimitStore } from './middleware/rate-limit-store';
export type {
  RateLimitAlgorithm,
  RateLimitRule,
  RateLimitDecision,
  RateLimitStore,
} from './middleware/rate-limit-store';
export { RedisRateLimitStore } from './middleware/rate-limit-redis-store';
export { RATE_LIMIT_EVENTS } from './middleware/rate-limit-events';
export type { RateLimitEvents, RateLimitAction } from './middleware/rate-limit-events';
export { DeadLetters } from './dead-letters/dead-letters';
export type {
  ReplayOptions,
  ReplayReport,
  DeadLetterStats,
  ReplayPublish,
} from './dead-letters/dead-letters';
export type { DeadLetterRecord, DeadLetterFilter } from './dead-letters/dead-letter-record';
export type { DeadLetter, DeadLetterProperties } from './pipeline/dead-letter';
export type { DeadLetterStore, DeadLetterStoreKind } from './dead-letters/dead-letter-store';
export { currentTrace } from './observability/trace-context';
export type { TraceContext } from './observability/trace-context';
export { Job } from './jobs/job-decorator';
export type { JobClass } from './jobs/job-decorator';
export { JobQueue } from './jobs/job-queue';
export type { DispatchedJob } from './jobs/job-queue';
export type { JobContext } from './jobs/job-context';
export type { JobOptions, JobBackoff, JobRepeat, DispatchJobOptions } from './jobs/job-options';
export type { QueueCounts } from './jobs/job-driver';
export type { JobsAppOptions } from './jobs/app-jobs';
export { JobTimeoutError, JobDataError } from './jobs/job-errors';
export { RouteMQError, ConfigError, ERROR_CODES, isRouteMQError } from './errors';
export type { ErrorCode } from './errors';
export { PayloadValidationError } from './validation/payload-validation-error';
export type { PayloadConstraint } from './validation/payload-validation-error';
export { inject, injectable } from 'tsyringe';
