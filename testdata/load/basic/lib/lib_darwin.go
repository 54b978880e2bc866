package lib

const platform = "darwin"
