package schedule

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    Spec
		wantErr bool
	}{
		{in: "off", want: Spec{Kind: Off}},
		{in: "6h", want: Spec{Kind: Hours, EveryHours: 6}},
		{in: "every 12h", want: Spec{Kind: Hours, EveryHours: 12}},
		{in: "daily 07:30", want: Spec{Kind: Daily, At: "07:30"}},
		{in: "23:05", want: Spec{Kind: Daily, At: "23:05"}},
		{in: "0h", wantErr: true},
		{in: "169h", wantErr: true},
		{in: "24:00", wantErr: true},
		{in: "7:3", wantErr: true},
		{in: "sometimes", wantErr: true},
	}
	for _, tc := range tests {
		got, err := Parse(tc.in)
		if (err != nil) != tc.wantErr || (!tc.wantErr && got != tc.want) {
			t.Errorf("Parse(%q) = %+v, %v; want %+v (error %v)", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestNext(t *testing.T) {
	day := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, time.UTC) }
	hours6 := Spec{Kind: Hours, EveryHours: 6}
	daily := Spec{Kind: Daily, At: "07:30"}
	tests := []struct {
		name      string
		spec      Spec
		last, now time.Time
		want      time.Time
		off       bool
	}{
		{name: "Off", spec: Spec{}, now: day(2, 8, 0), off: true},
		{name: "HoursNeverRanIsDue", spec: hours6, now: day(2, 8, 0), want: day(2, 8, 0)},
		{name: "HoursNotYet", spec: hours6, last: day(2, 8, 0), now: day(2, 9, 0), want: day(2, 14, 0)},
		{name: "HoursMissedManyIsDueOnce", spec: hours6, last: day(1, 8, 0), now: day(3, 9, 0), want: day(3, 9, 0)},
		{name: "DailyBeforeTheTime", spec: daily, last: day(1, 7, 31), now: day(2, 7, 0), want: day(2, 7, 30)},
		{name: "DailyRanToday", spec: daily, last: day(2, 7, 30), now: day(2, 12, 0), want: day(3, 7, 30)},
		{name: "DailyMissedIsDue", spec: daily, last: day(2, 6, 0), now: day(2, 7, 45), want: day(2, 7, 45)},
		{name: "DailyAsleepThreeDaysIsDueOnce", spec: daily, last: day(1, 7, 30), now: day(4, 10, 0), want: day(4, 10, 0)},
		{name: "DailyNeverRan", spec: daily, now: day(2, 6, 0), want: day(2, 6, 0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.spec.Next(tc.last, tc.now)
			if ok == tc.off || (ok && !got.Equal(tc.want)) {
				t.Errorf("Next = %v, %v; want %v (off %v)", got, ok, tc.want, tc.off)
			}
		})
	}
}
