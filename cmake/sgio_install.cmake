# SPDX-License-Identifier: Apache-2.0
# What `cmake --install` puts under the prefix, and the CPack .deb packages made from it.
# Only the library, headers, CMake package, pkg-config file, man pages and docs install; tests,
# benchmarks, examples and bindings (which ship as their own NuGet/jar packages) have no install
# rules. Two components: "runtime" (libsgio.so.X.Y.Z and its SONAME link) and "dev" (everything a
# compiler and linker need, plus documentation).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SGIO_CMAKE_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/sgio")

# sgio_engine and liburing are linked privately into the shared library, so the exported target
# has no link interface to carry them.
install(TARGETS sgio EXPORT sgioTargets
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT runtime NAMELINK_COMPONENT dev
  INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(DIRECTORY "${SGIO_INCLUDE_DIR}/sgio" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
  COMPONENT dev FILES_MATCHING PATTERN "*.h")
install(EXPORT sgioTargets NAMESPACE sgio:: DESTINATION "${SGIO_CMAKE_INSTALL_DIR}" COMPONENT dev)

configure_package_config_file(cmake/sgioConfig.cmake.in "${PROJECT_BINARY_DIR}/sgioConfig.cmake"
  INSTALL_DESTINATION "${SGIO_CMAKE_INSTALL_DIR}")
# Same major version = same ABI (capi/include/sgio/sgio_version.h).
write_basic_package_version_file("${PROJECT_BINARY_DIR}/sgioConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}" COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/sgioConfig.cmake" "${PROJECT_BINARY_DIR}/sgioConfigVersion.cmake"
  DESTINATION "${SGIO_CMAKE_INSTALL_DIR}" COMPONENT dev)

# sgio.pc: the prefix is the one given at install time (`cmake --install --prefix`, CPack's /usr),
# not the one configured, so the file is finished by install code.
foreach(_dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_dir}}")
    set(_sgio_pc_${_dir} "${CMAKE_INSTALL_${_dir}}")
  else()
    set(_sgio_pc_${_dir} "\${prefix}/${CMAKE_INSTALL_${_dir}}")
  endif()
endforeach()
set(_sgio_pc_libdir "${_sgio_pc_LIBDIR}")
set(_sgio_pc_includedir "${_sgio_pc_INCLUDEDIR}")
configure_file(cmake/sgio.pc.in "${PROJECT_BINARY_DIR}/sgio.pc.in" @ONLY)
install(CODE "
  file(READ \"${PROJECT_BINARY_DIR}/sgio.pc.in\" _sgio_pc)
  string(REPLACE \"%INSTALL_PREFIX%\" \"\${CMAKE_INSTALL_PREFIX}\" _sgio_pc \"\${_sgio_pc}\")
  file(WRITE \"${PROJECT_BINARY_DIR}/pc-install/sgio.pc\" \"\${_sgio_pc}\")
  file(INSTALL \"${PROJECT_BINARY_DIR}/pc-install/sgio.pc\"
       DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig\")"
  COMPONENT dev)

install(DIRECTORY "${SGIO_MAN_DIR}/man3" "${SGIO_MAN_DIR}/man7" DESTINATION "${CMAKE_INSTALL_MANDIR}"
  COMPONENT dev FILES_MATCHING PATTERN "*.[37]")
install(FILES LICENSE README.md CHANGELOG.md DESTINATION "${CMAKE_INSTALL_DOCDIR}" COMPONENT dev)
# Debian wants /usr/share/doc/<package>/copyright in every package; only the .deb build (a
# per-component install) gets these, a plain `cmake --install` does not.
set(SGIO_DEB_RUNTIME "libsgio${PROJECT_VERSION_MAJOR}")
install(FILES LICENSE DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/${SGIO_DEB_RUNTIME}" RENAME copyright
  COMPONENT runtime EXCLUDE_FROM_ALL)
install(FILES LICENSE DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/libsgio-dev" RENAME copyright
  COMPONENT dev EXCLUDE_FROM_ALL)

# CPack: `cpack -G DEB` in the build folder makes libsgio1_<version>_<arch>.deb and
# libsgio-dev_<version>_<arch>.deb.
set(SGIO_PACKAGE_CONTACT "sgio maintainers <maintainers@sgio.invalid>" CACHE STRING
    "Maintainer field of the .deb packages")
set(CPACK_PACKAGE_NAME sgio)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${SGIO_PACKAGE_CONTACT}")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME "${SGIO_DEB_RUNTIME}")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
# dpkg-shlibdeps computes libc6/libstdc++6/libgcc-s1 from the library itself (package dpkg-dev).
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_DEV_PACKAGE_NAME libsgio-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${SGIO_DEB_RUNTIME} (= ${PROJECT_VERSION})")
# The synopsis line of both is the project description (CPackDeb puts it first); these are the
# extended descriptions.
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION
    "The shared library libsgio.so: WriteFileGather/ReadFileScatter with OVERLAPPED completion\n(io_uring) and the native sgio_* API, as a stable C ABI.")
set(CPACK_DEBIAN_DEV_DESCRIPTION
    "Development files of libsgio: headers, the CMake package (sgio::sgio), the pkg-config file\nand the man pages.")
include(CPack)
