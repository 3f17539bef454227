// Command helm-unittest is the `helm unittest` plugin: it renders charts locally and checks the
// output against the YAML test suites found in each chart, through helm-unittest's test runner.
//
// The flags are those the released plugin documents, so charts' test commands work unchanged.
package main

import (
	"os"
	"path/filepath"

	log "github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/helm-unittest/helm-unittest/pkg/unittest"
	"github.com/helm-unittest/helm-unittest/pkg/unittest/formatter"
	"github.com/helm-unittest/helm-unittest/pkg/unittest/printer"
)

type options struct {
	color, strict, updateSnapshot, withSubcharts, failFast, debug, skipSchemaValidation bool
	testFiles, valuesFiles                                                              []string
	outputFile, outputType, chartTestsPath                                              string
}

func main() {
	var opts options
	command := &cobra.Command{
		Use:          "unittest [flags] CHART [...]",
		Short:        "unit tests for Helm charts",
		Long:         "Renders each CHART locally and checks the result against the test suites in its tests/ folder.",
		Args:         cobra.MinimumNArgs(1),
		SilenceUsage: true,
		Run: func(cmd *cobra.Command, charts []string) {
			if !run(opts, cmd.Flags().Changed("color"), charts) {
				os.Exit(1)
			}
		},
	}
	flags := command.Flags()
	flags.BoolVar(&opts.color, "color", false, "colour the output even when stdout is not a terminal")
	flags.BoolVar(&opts.strict, "strict", false, "parse the test suites strictly")
	flags.StringArrayVarP(&opts.testFiles, "file", "f", nil, "glob of test suite files (default tests/*_test.yaml)")
	flags.StringArrayVarP(&opts.valuesFiles, "values", "v", nil, "values files (paths or globs) overriding the chart's values")
	flags.BoolVarP(&opts.updateSnapshot, "update-snapshot", "u", false, "rewrite the snapshots that differ")
	flags.BoolVarP(&opts.withSubcharts, "with-subchart", "s", true, "also run the tests of the charts in charts/")
	flags.StringVarP(&opts.outputFile, "output-file", "o", "", "also write the results to this file")
	flags.StringVarP(&opts.outputType, "output-type", "t", "XUnit", "format of --output-file: JUnit, NUnit, XUnit or Sonar")
	flags.StringVar(&opts.chartTestsPath, "chart-tests-path", "", "folder, relative to the chart, of a chart that renders test suites")
	flags.BoolVarP(&opts.failFast, "failfast", "q", false, "stop at the first failing test")
	flags.BoolVarP(&opts.debug, "debugPlugin", "d", false, "log verbosely and keep the rendered templates in .debug")
	flags.BoolVar(&opts.skipSchemaValidation, "skip-schema-validation", false, "do not validate values against values.schema.json")
	if err := command.Execute(); err != nil {
		os.Exit(1)
	}
}

func run(opts options, colorSet bool, charts []string) bool {
	// nil lets the printer decide from the terminal; a pointer forces the given choice.
	var color *bool
	if colorSet {
		color = &opts.color
	}
	renderPath := ""
	if opts.debug {
		renderPath = ".debug"
		log.SetLevel(log.DebugLevel)
	}
	log.SetFormatter(&log.TextFormatter{DisableColors: !opts.color, FullTimestamp: true})
	testFiles := opts.testFiles
	if len(testFiles) == 0 {
		testFiles = []string{filepath.Join("tests", "*_test.yaml")}
	}
	runner := unittest.TestRunner{
		Printer:              printer.NewPrinter(os.Stdout, color),
		Formatter:            formatter.NewFormatter(opts.outputFile, opts.outputType),
		UpdateSnapshot:       opts.updateSnapshot,
		WithSubChart:         opts.withSubcharts,
		Strict:               opts.strict,
		Failfast:             opts.failFast,
		SkipSchemaValidation: opts.skipSchemaValidation,
		TestFiles:            testFiles,
		ValuesFiles:          opts.valuesFiles,
		OutputFile:           opts.outputFile,
		ChartTestsPath:       opts.chartTestsPath,
		RenderPath:           renderPath,
	}
	return runner.RunV3(charts)
}
