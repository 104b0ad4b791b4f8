export {
  daySpan,
  daysBetween,
  formatDayCount,
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
export { aggregateHearings, countedHearings, type CountedHearing, type HearingAggregate } from './aggregate';
export { buildTimeline, detentionSpells, type DetentionSpell, type TimelineItem } from './timeline';
export { CaseReport } from './CaseReport';
export { HearingEditor } from './HearingEditor';
export { HearingsPanel } from './HearingsPanel';
export { MonitoringPanel } from './MonitoringPanel';
export { TimelinePanel } from './TimelinePanel';
