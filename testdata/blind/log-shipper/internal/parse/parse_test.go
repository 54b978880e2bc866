package parse

import (
	"errors"
	"testing"
)

func TestLineSyslog(t *testing.T) {
	rec, err := Line("<11>2024-03-01T10:00:00Z web-1 nginx[42]: upstream timed out\n")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Host != "web-1" || rec.App != "nginx" || rec.Level != "error" {
		t.Fatalf("unexpected record %+v", rec)
	}
	if rec.Message != "upstream timed out" {
		t.Fatalf("message = %q", rec.Message)
	}
}

func TestLineJSON(t *testing.T) {
	rec, err := Line(`{"ts":"2024-03-01T10:00:00Z","level":"WARNING","msg":"slow","route":"/api"}`)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Level != "warn" || rec.Fields["route"] != "/api" {
		t.Fatalf("unexpected record %+v", rec)
	}
}

func TestLineEmpty(t *testing.T) {
	if _, err := Line("  \r\n"); !errors.Is(err, ErrEmpty) {
		t.Fatalf("err = %v, want ErrEmpty", err)
	}
}

func TestBatchOffsets(t *testing.T) {
	recs, errs := Batch([]string{"a", "", "bc"}, "app.log", 10)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	if len(recs) != 2 || recs[0].Offset != 12 || recs[1].Offset != 16 {
		t.Fatalf("offsets wrong: %+v", recs)
	}
}

func TestFields(t *testing.T) {
	got, err := Fields(`user=alice op="login" ignored status=200`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"user": "alice", "op": "login", "status": "200"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}
