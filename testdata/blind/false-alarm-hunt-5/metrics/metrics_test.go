package metrics

import (
	"bytes"
	"io"
	"log"
	"strings"
	"sync"
	"testing"
)

type panicky struct{ d *Desc }

func (p *panicky) Describe() []*Desc     { return []*Desc{p.d} }
func (p *panicky) Collect(chan<- Sample) { panic("collector bug") }

func TestGatherAndWriteText(t *testing.T) {
	reg := NewRegistry(log.New(io.Discard, "", 0))
	c := NewCounterVec("requests_total", "Requests.", "code")
	reg.MustRegister(c)
	c.WithLabelValues("200").Add(3)
	c.WithLabelValues("500").Inc()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, fams); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `requests_total{code="200"} 3`) {
		t.Fatalf("output:\n%s", buf.String())
	}
}

func TestGatherSurvivesPanickingCollector(t *testing.T) {
	reg := NewRegistry(log.New(io.Discard, "", 0))
	reg.MustRegister(&panicky{d: MustNewDesc("bad_metric", "", GaugeType, nil)})
	g := NewGauge("good_metric", "")
	g.Set(1)
	reg.MustRegister(g)
	fams, err := reg.Gather()
	if err == nil {
		t.Fatal("want an error from the panicking collector")
	}
	if len(fams) == 0 {
		t.Fatal("good families should still be gathered")
	}
}

func TestDuplicateRegistration(t *testing.T) {
	reg := NewRegistry(log.New(io.Discard, "", 0))
	reg.MustRegister(NewCounter("x_total", ""))
	err := reg.Register(NewCounter("x_total", ""))
	if _, ok := err.(*AlreadyRegisteredError); !ok {
		t.Fatalf("err = %v", err)
	}
}

func TestConcurrentVecAccess(t *testing.T) {
	cv := NewCounterVec("hits_total", "", "shard")
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				cv.WithLabelValues(string(rune('a' + i%4))).Inc()
			}
		}()
	}
	wg.Wait()
	total := 0.0
	for _, s := range []string{"a", "b", "c", "d"} {
		total += cv.WithLabelValues(s).Value()
	}
	if total != 1600 {
		t.Fatalf("total = %v", total)
	}
}

func TestGaugeTrack(t *testing.T) {
	g := NewGauge("inflight", "")
	func() {
		defer g.Track()()
		if g.Value() != 1 {
			t.Fatalf("inside: %v", g.Value())
		}
	}()
	if g.Value() != 0 {
		t.Fatalf("after: %v", g.Value())
	}
}
