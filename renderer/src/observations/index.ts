export {
  daySpan,
  daysBetween,
  formatDayRange,
  isApproximateDate,
  pretrialDetentionDays,
  todayDate,
  type ApproximateDate,
  type DayRange,
} from './approximate-dates';
export {
  ANSWERS,
  INDICATORS,
  tallyIndicators,
  type Answer,
  type IndicatorAnswer,
  type IndicatorId,
} from './indicators';
export { edit, finalise, latestFinal, newVersioned, type VersionedRecord } from '../vault/versions';
