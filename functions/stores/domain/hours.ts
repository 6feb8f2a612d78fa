/** Opening hours in the store's own time zone: published (the layout checkout reads too). */
export {
  isOpenAt,
  isValidTimeZone,
  localTime,
  ROUND_THE_CLOCK,
  toMinutes,
} from '#shared/published/store-hours';
