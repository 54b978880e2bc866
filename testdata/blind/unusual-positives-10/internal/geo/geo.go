// Package geo maps ISO country codes to countries. A built-in table is
// always present; a zipped CSV named by GEO_DB can extend it.
package geo

import (
	"strings"
	"sync"
)

// Country is one entry of the table.
type Country struct {
	Code      string
	Name      string
	Continent string
}

var (
	mu        sync.RWMutex
	countries = map[string]Country{}
)

// Lookup returns the country with the given ISO code.
func Lookup(code string) (Country, bool) {
	mu.RLock()
	defer mu.RUnlock()
	c, ok := countries[strings.ToUpper(code)]
	return c, ok
}

func register(c Country) {
	mu.Lock()
	defer mu.Unlock()
	countries[strings.ToUpper(c.Code)] = c
}

// Len returns the number of known countries.
func Len() int {
	mu.RLock()
	defer mu.RUnlock()
	return len(countries)
}
