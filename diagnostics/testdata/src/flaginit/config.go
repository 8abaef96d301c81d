package flaginit

import "flag"

var configPath = flag.String("config", "app.yaml", "the config file")

func init() {
	flag.Parse()
}

// Path returns the config file.
func Path() string { return *configPath }
