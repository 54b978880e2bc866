// +build !linux

package lib

var legacy = true
