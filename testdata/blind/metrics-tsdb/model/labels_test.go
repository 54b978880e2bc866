package model

import "testing"

func TestHashIsOrderIndependent(t *testing.T) {
	a := FromStrings("job", "node", "instance", "a:9100")
	b := FromMap(map[string]string{"instance": "a:9100", "job": "node"})
	if a.Hash() != b.Hash() {
		t.Fatalf("hash differs: %s vs %s", a, b)
	}
	if !a.Equal(b) {
		t.Fatalf("expected %s == %s", a, b)
	}
}

func TestParseSelector(t *testing.T) {
	ms, err := ParseSelector(`cpu_usage{host="a", dc=~"eu-.*"}`)
	if err != nil {
		t.Fatal(err)
	}
	ls := FromStrings(MetricName, "cpu_usage", "host", "a", "dc", "eu-west")
	if !MatchAll(ls, ms) {
		t.Fatalf("%s should match %v", ls, ms)
	}
	if MatchAll(FromStrings(MetricName, "cpu_usage", "host", "b"), ms) {
		t.Fatal("host=b should not match")
	}
}
