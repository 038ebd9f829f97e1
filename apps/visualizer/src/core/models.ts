/** Which model runs which source: the Kafka model for scenarios and traces, the toy for the engine demo. */
import type { ModelFor } from './handler';
import { createKafkaModel } from './kafkaModel';
import { pingpongModel } from './pingpongModel';

const kafkaModel = createKafkaModel();

export const modelFor: ModelFor = (spec) => (spec.source === 'pingpong' ? pingpongModel : kafkaModel);
