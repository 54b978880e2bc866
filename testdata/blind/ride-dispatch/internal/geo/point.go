// Package geo indexes live driver positions on a fixed lat/lng grid. Cells are
// spread over shards, each guarded by its own RW mutex, so location updates
// from different parts of the city do not contend.
package geo

import (
	"fmt"
	"math"
)

const earthRadiusKm = 6371.0

// Point is a WGS84 coordinate.
type Point struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// Valid reports whether p lies within the coordinate ranges.
func (p Point) Valid() bool {
	return p.Lat >= -90 && p.Lat <= 90 && p.Lng >= -180 && p.Lng <= 180 &&
		!math.IsNaN(p.Lat) && !math.IsNaN(p.Lng)
}

// String renders p with six decimals (about 10 cm).
func (p Point) String() string {
	return fmt.Sprintf("%.6f,%.6f", p.Lat, p.Lng)
}

// Haversine returns the great-circle distance between a and b in kilometres.
func Haversine(a, b Point) float64 {
	toRad := func(d float64) float64 { return d * math.Pi / 180 }
	dLat := toRad(b.Lat - a.Lat)
	dLng := toRad(b.Lng - a.Lng)
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(toRad(a.Lat))*math.Cos(toRad(b.Lat))*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadiusKm * math.Asin(math.Sqrt(h))
}

// CellID addresses one grid cell.
type CellID struct {
	Row int32 `json:"row"`
	Col int32 `json:"col"`
}

// Neighbors returns the (2r+1)^2 cells centred on c, c included.
func (c CellID) Neighbors(r int) []CellID {
	if r < 0 {
		r = 0
	}
	out := make([]CellID, 0, (2*r+1)*(2*r+1))
	for dr := -r; dr <= r; dr++ {
		for dc := -r; dc <= r; dc++ {
			out = append(out, CellID{Row: c.Row + int32(dr), Col: c.Col + int32(dc)})
		}
	}
	return out
}
