export const TRAINING_QUEUE = 'training';
