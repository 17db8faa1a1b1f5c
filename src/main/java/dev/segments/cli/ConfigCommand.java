package dev.segments.cli;

import dev.segments.config.ConfigLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the effective configuration, so users see every key and start their own file from it. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = {"Print the effective configuration (defaults, then --config, then flags) as YAML.",
        "The default data contract is written out in full: copy it to adapt column names to your sheets."})
public final class ConfigCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options = new ConfigOptions();

  @Override
  public Integer call() {
    var tree = options.tree();
    // Everything a run would refuse is refused here: every section binds, the feature spec fits the contract.
    ConfigLoader.load(tree, java.time.Clock.systemUTC()).checkedFeatures();
    spec.commandLine().getOut().print(ConfigLoader.toYaml(tree));
    return 0;
  }
}
