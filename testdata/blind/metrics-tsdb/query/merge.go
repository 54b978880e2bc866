package query

import (
	"sort"

	"example.com/tsdb/model"
)

// mergeSets merges series from several sources by label set, keeping
// samples in time order without duplicate timestamps.
func mergeSets(sets [][]model.Series) []model.Series {
	byKey := map[string]int{}
	var out []model.Series
	for _, set := range sets {
		for _, s := range set {
			k := s.Labels.String()
			i, ok := byKey[k]
			if !ok {
				byKey[k] = len(out)
				out = append(out, model.Series{Labels: s.Labels, Samples: append([]model.Sample(nil), s.Samples...)})
				continue
			}
			out[i].Samples = mergeSamples(out[i].Samples, s.Samples)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Labels.String() < out[j].Labels.String() })
	return out
}

// mergeSamples merges two sorted sample slices; a sample of b wins on equal timestamps.
func mergeSamples(a, b []model.Sample) []model.Sample {
	out := make([]model.Sample, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].T < b[j].T:
			out = append(out, a[i])
			i++
		case a[i].T > b[j].T:
			out = append(out, b[j])
			j++
		default:
			out = append(out, b[j])
			i++
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// Rate is an AggFunc computing the per-second increase over each step.
func Rate(samples []model.Sample, step int64) []model.Sample {
	if len(samples) < 2 || step <= 0 {
		return nil
	}
	var out []model.Sample
	first := 0
	for i := 1; i < len(samples); i++ {
		if samples[i].T-samples[first].T < step && i != len(samples)-1 {
			continue
		}
		dt := float64(samples[i].T-samples[first].T) / 1000
		if dt > 0 {
			out = append(out, model.Sample{T: samples[i].T, V: (samples[i].V - samples[first].V) / dt})
		}
		first = i
	}
	return out
}
