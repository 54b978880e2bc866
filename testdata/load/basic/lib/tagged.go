//go:build integration

package lib

import "os"

var integrationDir = os.TempDir()
