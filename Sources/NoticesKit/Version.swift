/// The version `notices --version` prints.
package let noticesVersion = "0.2.0"
