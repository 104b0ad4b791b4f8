// Progress of long tasks: one throttled meter (speed, time left) and one bar that shows it.
export { createProgressMeter, type ProgressMeter, type ProgressSnapshot } from './progress-meter';
export { progressDetail, SHOW_SPEED_AFTER_MS } from './progress-detail';
export { TaskProgress } from './TaskProgress';
export { startingProgress, useProgressMeter } from './use-progress-meter';
