// Package lib is built on every platform.
package lib

import "strings"

// Name returns the platform's name.
func Name() string { return strings.ToUpper(platform) }
