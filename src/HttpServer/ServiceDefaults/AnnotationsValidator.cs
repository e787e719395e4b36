using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace HttpServer.ServiceDefaults;

/// <summary>
/// Checks the validation attributes (<c>[Range]</c>, …) on an options type's properties and fails with the message
/// <c>ValidateDataAnnotations()</c> writes, word for word. That method reflects over unknown types (no native build);
/// here the type is a generic argument whose properties the trimmer keeps, and the options validator that .NET
/// generates at compile time drops each attribute's own ErrorMessage, which the configuration errors rely on.
/// </summary>
internal sealed class AnnotationsValidator<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>
    : IValidateOptions<TOptions>
    where TOptions : class
{
    private static readonly (PropertyInfo Property, ValidationAttribute[] Rules)[] Checked =
        typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (p, p.GetCustomAttributes<ValidationAttribute>().ToArray()))
            .Where(p => p.Item2.Length > 0)
            .ToArray();

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (property, rules) in Checked)
        {
            var value = property.GetValue(options);
            foreach (var rule in rules.Where(r => !r.IsValid(value)))
            {
                failures.Add($"DataAnnotation validation failed for '{typeof(TOptions).Name}' members: '{property.Name}' " +
                             $"with the error: '{rule.FormatErrorMessage(property.Name)}'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
