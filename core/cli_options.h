// Checks on parsed command-line options shared by every program.
#pragma once

#include <string>

#include <boost/program_options.hpp>

namespace policy {

// Boost reads "-1" given to an unsigned option as its largest value
// (18446744073709551615). Throws boost::program_options::error naming the
// option and the value when an unsigned option's value starts with '-'.
inline void refuse_negative_counts(const boost::program_options::parsed_options& parsed,
                                   const boost::program_options::options_description& options) {
  namespace po = boost::program_options;
  for (const po::option& option : parsed.options) {
    const po::option_description* described = options.find_nothrow(option.string_key, false);
    if (described == nullptr) continue;
    const po::value_semantic* semantic = described->semantic().get();
    const bool is_unsigned = dynamic_cast<const po::typed_value<unsigned long>*>(semantic) != nullptr ||
                             dynamic_cast<const po::typed_value<unsigned>*>(semantic) != nullptr;
    if (!is_unsigned) continue;
    for (const std::string& value : option.value) {
      if (value.find('-') != std::string::npos) {
        throw po::error("option '--" + described->long_name() + "' takes a whole number of 0 or more, not '" + value +
                        "'");
      }
    }
  }
}

}  // namespace policy
