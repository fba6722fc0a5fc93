package hubspot

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestBatchErrorIDs(t *testing.T) {
	tests := []struct {
		name    string
		context string
		want    []string
	}{
		{"ids", `{"ids":["1","2"]}`, []string{"1", "2"}},
		{"fromObjectId", `{"fromObjectId":["9007199254740993"]}`, []string{"9007199254740993"}},
		{"number", `{"objectId":9007199254740993}`, []string{"9007199254740993"}},
		{"not ids", `{"invalidPropertyNames":["hidden_field"],"fromObjectType":["contact"]}`, nil},
		{"mixed", `{"propertyName":["x"],"ids":["7"]}`, []string{"7"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var w batchError
			if err := json.Unmarshal([]byte(`{"category":"X","context":`+tc.context+`}`), &w); err != nil {
				t.Fatal(err)
			}
			if got := w.public().IDs; !slices.Equal(got, tc.want) {
				t.Errorf("IDs %v, want %v", got, tc.want)
			}
		})
	}
}
